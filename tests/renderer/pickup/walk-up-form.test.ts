import { describe, expect, it } from 'vitest';
import { emptyWalkUp, eventOption, fieldErrorsFromMessage, missingFields, parseAmount, parseEventOption, walkUpInput } from '../../../src-renderer/src/pages/pickup/walk-up-form.ts';

const filled = { ...emptyWalkUp, event: eventOption('runsignup', '7001'), firstName: ' Ana ', lastName: 'Ruiz', gender: 'F' as const, dateOfBirth: '1990-04-02', waiverAccepted: true };

describe('walk-up form', () => {
  it('keeps provider and event id together in the event choice, ids with "|" included', () => {
    expect(parseEventOption(eventOption('chronotrack', 'EV|9'))).toEqual({ provider: 'chronotrack', eventId: 'EV|9' });
    expect(parseEventOption('')).toBeNull();
  });

  it('names every missing required field before calling the station', () => {
    expect(Object.keys(missingFields(emptyWalkUp)).sort()).toEqual(['dateOfBirth', 'event', 'firstName', 'gender', 'lastName', 'waiverAccepted']);
    expect(missingFields(filled)).toEqual({});
  });

  it('reads the amount paid as volunteers type it, and asks how a paid amount was paid', () => {
    expect(parseAmount(' 45 ')).toBe(45);
    expect(parseAmount('45,50')).toBe(45.5);
    expect(parseAmount('$45.50')).toBe(45.5);
    expect(parseAmount('')).toBeNull();
    expect(parseAmount('forty')).toBeNaN();
    expect(parseAmount('4.555')).toBeNaN();
    expect(missingFields({ ...filled, amountPaid: 'forty' })).toHaveProperty('amountPaid');
    expect(missingFields({ ...filled, amountPaid: '45' })).toEqual({ paymentMethod: 'Pick how the runner paid.' });
    expect(missingFields({ ...filled, amountPaid: '0' })).toEqual({});
    expect(walkUpInput({ ...filled, amountPaid: '45,50', paymentMethod: 'cash', shirtSize: ' M ' }, false)).toMatchObject({
      amountPaid: 45.5,
      paymentMethod: 'cash',
      shirtSize: 'M',
      waiverAccepted: true,
    });
  });

  it('sends trimmed values and leaves empty optional fields out', () => {
    const input = walkUpInput({ ...filled, city: '  ', bib: ' 9001 ' }, false);
    expect(input).toMatchObject({ provider: 'runsignup', eventId: '7001', firstName: 'Ana', bib: '9001', checkIn: true, confirmTaken: false });
    expect(input.city).toBeUndefined();
    expect(input.email).toBeUndefined();
  });

  it('spreads an invalid_input message onto the fields it names', () => {
    const spread = fieldErrorsFromMessage(
      'Invalid input for pickup.registerWalkUp: firstName: First name is required.; dateOfBirth: Date of birth must be YYYY-MM-DD.; input: something else',
      Object.keys(emptyWalkUp),
    );
    expect(spread.fields).toEqual({ firstName: 'First name is required.', dateOfBirth: 'Date of birth must be YYYY-MM-DD.' });
    expect(spread.general).toBe('input: something else');
  });

  it('keeps a message that is not about input fields as a general error', () => {
    expect(fieldErrorsFromMessage('No free bib left in 9000–9009.', ['bib'])).toEqual({ fields: {}, general: 'No free bib left in 9000–9009.' });
  });
});
