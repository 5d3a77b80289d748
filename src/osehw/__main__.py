from osehw.cli import app

app(prog_name="osehw")
