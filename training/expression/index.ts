export type { ChainLink, ChainOperator, ExpressionNode } from "./ast";
export { compileExpression, type CompiledExpression } from "./compile";
export { ExpressionError } from "./errors";
export { CONSTANTS, FUNCTION_NAMES, VARIABLE_NAMES, type ExpressionVariables, type VariableName } from "./names";
export { MAX_EXPRESSION_LENGTH, MAX_NESTING, parseExpression } from "./parser";
export { tokenize, type Token } from "./tokenizer";
