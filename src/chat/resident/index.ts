export { DialogEngine, type DialogEngineOptions } from "./engine.js";
export { MemorySessionStore, StaleSessionError, type SessionStore, type Versioned } from "./session-store.js";
export { formInProgress, initialState, type DialogState } from "./state.js";
export * from "./types.js";
export { commandKey } from "./commands.js";
export * from "./validate.js";
