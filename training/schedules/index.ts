export * from "./scheduler";
export {
  MONITORS,
  parseScheduleSpec,
  SCHEDULE_KINDS,
  scheduleSpecSchema,
  type Monitor,
  type ScheduleInput,
  type ScheduleKind,
  type ScheduleOf,
  type ScheduleSpec,
} from "./spec";
export { isSchedulePresetName, SCHEDULE_PRESET_NAMES, SCHEDULE_PRESETS, type SchedulePreset, type SchedulePresetName } from "./presets";
export { MAX_EPOCH_COUNT, MAX_LR } from "./fields";
export { MAX_SEQUENCE_DEPTH } from "./nesting";
