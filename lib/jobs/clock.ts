/** The time source of every job: injected, so tests and `jobs:run-due --now` pick the instant. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
