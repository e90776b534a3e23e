"""Host side of the I-BERT kit: a real BERT checkpoint, its float reference, the quantizer that
turns it into the integer parameters golden (and later the accelerator) consumes, and their file
format. The accelerator driver joins this package in a later step."""
