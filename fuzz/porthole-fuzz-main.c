/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libFuzzer glue of one fuzz-<name> executable: PORTHOLE_FUZZ_ENTRY names the target. */
#define G_LOG_DOMAIN "porthole-fuzz"
#include "config.h"

#include "porthole-fuzz.h"

#include <stdint.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* A warning or critical from the code under test is a finding, as in the test suite */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return PORTHOLE_FUZZ_ENTRY (data, size);
}
