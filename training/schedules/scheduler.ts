/** The scheduler API in one place (implementations live in small modules beside this one). */
export { createScheduler } from "./create";
export { cyclesMomentum } from "./momentum";
export { checkScheduleOverRun, lrTable, monitorsOf, scheduleTable } from "./table";
export type { EpochMonitorValues, Scheduler } from "./types";
