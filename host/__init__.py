"""The host side of the I-BERT kit, by subject:

- ``host.model``: the model. A HuggingFace BERT folder read with numpy (checkpoint, tokenize), its
  quantization to I-BERT integers (bert), the parameter file and its cache (params_io, cache), and
  the sentences for calibration and evaluation (sentences, eval_text).
- ``host.accel``: the accelerator. Its register map (registers, regmap, regmap_gen), the driver
  and its operations (driver, operations, operands, roofline), the board's names and addresses
  (overlay), the backends that open it (platform, board_lock) and the simulated board (sim/).
- ``host.files``: where the kit keeps its files (paths) and finds the ones it ships (resources).
- here, the application: an encoder layer as the accelerator's operations (layer), where hardware
  and golden diverge (divergence, replay), the sentence encoder (encoder, conventions, embed), the
  bring-up check (selftest) and the commands (cli, ``__main__``).

Imports run one way: the application uses ``model`` and ``accel``; neither uses the other nor the
application; all three may use ``files`` (tests/test_layout.py checks it).
"""
