/** Process entry point of the `nvmx` command (bin/nvmx.js imports the compiled file). */
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
