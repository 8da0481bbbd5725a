"""The demo review rounds loaded by `flask seed-demo`."""
