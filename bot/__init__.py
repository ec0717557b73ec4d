"""GridBot runtime: config, Flask app, channels, CLI."""
