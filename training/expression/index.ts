export { FUNCTION_NAMES, VARIABLE_NAMES } from "./names";
