#!/bin/bash
# params-scache.sh - man/scache.8 lists exactly the parameters scache(8) reads
#
# SPDX-License-Identifier: EPL-2.0
exec bash "$(dirname "$0")/params-check.sh" scache
