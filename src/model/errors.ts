// The one error type of the model layer: a model, weights file or input that does not fit
// its config. Callers (CLI, worker, UI) catch it to show the message instead of a stack.

/** Thrown for a corrupt or mismatched model, weights or input; the message names the problem. */
export class ModelError extends Error {
  override name = 'ModelError';
}
