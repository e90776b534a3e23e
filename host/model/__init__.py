"""The model: a HuggingFace BERT folder read with numpy, quantized to I-BERT integers, saved and cached."""
