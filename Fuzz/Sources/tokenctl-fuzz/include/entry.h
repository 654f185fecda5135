// (no public declarations: the fuzzer entry points are in entry.c)
