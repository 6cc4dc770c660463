#!/usr/bin/env node
// The published entry point: the compiled CLI (npm's `prepare` builds dist/ on install).
import "../dist/cli/bin.js";
