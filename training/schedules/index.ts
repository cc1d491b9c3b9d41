export * from "./scheduler";
export { type ScheduleInput, type ScheduleKind } from "./spec";
export { SCHEDULE_PRESET_NAMES, SCHEDULE_PRESETS } from "./presets";
