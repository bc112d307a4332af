from khanalytics.cli import app

app()
