import { AiosError } from '../errors';

/** A pattern EventBridge would refuse; `problems` lists each one with its JSON path. */
export class InvalidEventPatternError extends AiosError {
  constructor(readonly problems: string[]) {
    super('EventPattern.Invalid', `Event pattern is not valid. ${problems.join('; ')}`, { problems });
  }
}
