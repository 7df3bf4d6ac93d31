import { formFieldsOnce } from '../../../shared/look/form-fields';

test('a form with each field once reads as its fields, decoded', () => {
  expect(formFieldsOnce('decision=approve&comment=ok+then%21&csrf=a%3Db')).toEqual({ decision: 'approve', comment: 'ok then!', csrf: 'a=b' });
  expect(formFieldsOnce('')).toEqual({});
});

test('a form naming a field twice reads as no form, whichever values it gives', () => {
  expect(formFieldsOnce('decision=approve&decision=reject')).toBeUndefined();
  expect(formFieldsOnce('decision=approve&csrf=x&decision=approve')).toBeUndefined();
  expect(formFieldsOnce('decision=approve&decisio%6E=reject')).toBeUndefined();
});
