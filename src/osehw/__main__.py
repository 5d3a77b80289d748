from osehw.cli import main

main()
