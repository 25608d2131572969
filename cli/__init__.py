"""The `shopspot` command: the top layer, which starts the receiver, the worker, beat, Flower
and the stand-ins, and runs the core's commands (set-up, import, sweep, status, dead letters)."""
