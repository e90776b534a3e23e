"""The per-module cocotb suite: ``tb/test_<name>.py`` checks ``rtl/<name>.sv`` against ``golden.<name>``."""
