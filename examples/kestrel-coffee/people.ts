import { definePerson } from '../../shared/definition';

export const people = [
  definePerson({ id: 'maya', name: 'Maya Chen', email: 'maya@kestrel.coffee', roles: ['owner', 'admin'] }),
  definePerson({ id: 'sam', name: 'Sam Ortiz', email: 'sam@kestrel.coffee', roles: ['support-lead'] }),
  definePerson({ id: 'priya', name: 'Priya Natarajan', email: 'priya@kestrel.coffee', roles: ['finance'] }),
  definePerson({ id: 'leo', name: 'Leo Park', email: 'leo@kestrel.coffee', roles: ['sales'] }),
] as const;
