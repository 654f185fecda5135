// libFuzzer's entry points. libFuzzer (linked by -sanitize=fuzzer) owns main; the
// target to run is chosen by the FUZZ_TARGET environment variable (see scripts/fuzz.sh).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern int tokenctl_fuzz_select(const char *name);
extern void tokenctl_fuzz_one(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc; (void)argv;
    const char *name = getenv("FUZZ_TARGET");
    if (name == NULL || !tokenctl_fuzz_select(name)) {
        fprintf(stderr, "tokenctl-fuzz: set FUZZ_TARGET to a target name (see scripts/fuzz.sh)\n");
        exit(2);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    tokenctl_fuzz_one(data, size);
    return 0;
}
