"""The accelerator: its register map, the driver and its operations, the board's names and the
backends that open it (the board through pynq, or the simulated board in sim/)."""
