import { AiosError } from '../errors';

export class SecretNotFoundError extends AiosError {
  constructor(name: string, looked: string[]) {
    super('Secret.NotFound', `secret "${name}" not found (looked in: ${looked.join(', ')})`, { name, looked });
  }
}

export class InvalidSecretNameError extends AiosError {
  constructor(name: string) {
    super('Secret.InvalidName', `secret name "${String(name).slice(0, 80)}" must be letters, digits, ".", "_" or "-" (at most 128)`, {
      name: String(name).slice(0, 80),
    });
  }
}

export class SecretUnavailableError extends AiosError {
  constructor(name: string, source: string, cause: unknown) {
    super(
      'Secret.Unavailable',
      `secret "${name}" could not be read from ${source}: ${(cause as Error)?.message ?? String(cause)}`,
      { name, source },
      { cause },
    );
  }
}
