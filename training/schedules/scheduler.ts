/** The scheduler API in one place (implementations live in small modules beside this one). */
export { createScheduler } from "./create";
export { describeSchedule, isPerStep } from "./describe";
export { ScheduleRangeError } from "./rangeError";
export { cyclesMomentum } from "./momentum";
export { checkScheduleOverRun, lrTable, monitorsOf, scheduleTable } from "./table";
export type { EpochMonitorValues, ScheduleContext, Scheduler, SchedulerState } from "./types";
