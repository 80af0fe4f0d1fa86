#!/usr/bin/env node
// Entry point of the `petition-bot` command: runs the TypeScript sources through tsx, so
// there is no build step between `npm install` and `npm start`.
import { register } from "tsx/esm/api";

process.env.DOTENV_CONFIG_QUIET ??= "true";
register();
const { main } = await import("../src/main.ts");
await main(process.argv);
