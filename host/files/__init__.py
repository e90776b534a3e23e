"""Where the kit keeps its files (the cache folder, atomic writes) and finds the ones it ships."""
