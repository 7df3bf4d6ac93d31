import * as z from 'zod';

/** A person who directs and approves. Roles are free-form names (`support-lead`). */
export const personSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes, starting with a letter'),
  name: z.string().min(1),
  email: z.email(),
  roles: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes')).default([]),
});

export type Person = z.infer<typeof personSchema>;

export interface PersonInput<Id extends string = string, Role extends string = string> {
  id: Id;
  name: string;
  email: string;
  roles?: readonly Role[];
}

/** Declares a person; the literal id and roles become types for references. */
export function definePerson<const Id extends string, const Role extends string = never>(person: PersonInput<Id, Role>): PersonInput<Id, Role> {
  return person;
}
