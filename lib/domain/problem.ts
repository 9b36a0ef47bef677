import { validationError, type FieldErrors } from '@/lib/errors';

/** An input a rule refuses: the message to show and, when form fields are at fault, theirs. */
export type Problem = { message: string; fieldErrors?: FieldErrors };

/** Throws the problem (if any) as a VALIDATION error, for the DAL that called the rule. */
export function refuseProblem(problem: Problem | null): void {
  if (problem) throw validationError(problem.message, problem.fieldErrors);
}
