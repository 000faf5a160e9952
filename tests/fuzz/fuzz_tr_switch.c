/*
 * fuzz_tr_switch.c - libFuzzer target for tlsreuse(1)'s master.cf editing
 *
 * The input is a master.cf. Parsing it and planning enable and disable
 * must never crash, and the promise of "tlsreuse enable" must hold: when
 * the text points at the stock daemons (disable would change nothing)
 * and holds no marker line of ours, enable followed by disable gives
 * back the very same bytes, and enable twice changes nothing more.
 *
 * SPDX-License-Identifier: EPL-2.0
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tr_mastercf.h"
#include "tr_switch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_plan(struct tr_switch_plan *p, const char *text, size_t len,
    enum tr_switch_to to)
{
	return tr_switch_plan(p, text, len, to, "tlsproxy", "scache");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct tr_switch_plan off, on, back, again;
	struct tr_mcf *mcf = tr_mcf_parse(text, size);
	char **opts;
	size_t i, n;

	for (i = 0; i < mcf->count; i++) {
		n = tr_mcf_options(mcf, &mcf->entry[i], &opts);
		tr_mcf_options_free(opts, n);
	}
	tr_mcf_free(mcf);
	tr_switch_plan_init(&off);
	tr_switch_plan_init(&on);
	tr_switch_plan_init(&back);
	tr_switch_plan_init(&again);
	if (fuzz_plan(&off, text, size, TR_SWITCH_STOCK) == 0 && !off.changed &&
	    memmem(data, size, TR_SWITCH_MARKER, strlen(TR_SWITCH_MARKER))
	    == NULL && fuzz_plan(&on, text, size, TR_SWITCH_OURS) == 0) {
		if (fuzz_plan(&back, on.text.data, on.text.len,
		    TR_SWITCH_STOCK) != 0 || back.text.len != size ||
		    memcmp(back.text.data, data, size) != 0)
			abort();
		if (fuzz_plan(&again, on.text.data, on.text.len,
		    TR_SWITCH_OURS) != 0 || again.changed)
			abort();
	}
	tr_switch_plan_free(&off);
	tr_switch_plan_free(&on);
	tr_switch_plan_free(&back);
	tr_switch_plan_free(&again);
	return 0;
}
