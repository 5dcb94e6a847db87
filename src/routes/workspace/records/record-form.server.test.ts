import { describe, expect, it } from 'vitest';
import { fieldOf, readDraft, recordFieldMessage, toInput } from './record-form.server';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

describe('the record form', () => {
  it('sends only the languages typed, with dates given their precision from their form', () => {
    const draft = readDraft(
      form([
        ['texts.en.title', 'Road blocked'],
        ['texts.en.summary', 'The road was closed.'],
        ['texts.fr.title', ''],
        ['texts.fr.summary', ''],
        ['startDate', '2023-09'],
        ['startPrecision', ''],
        ['tags', 'Road, , blockade '],
        ['placeIds', 'p1'],
        ['placeIds', 'p2'],
      ]),
    );
    const { input, errors } = toInput(draft);
    expect(errors).toEqual({});
    expect(Object.keys(input.texts)).toEqual(['en']);
    expect(input.texts.en?.description).toBeNull();
    expect(input.startPrecision).toBe('month');
    expect(input.tags).toEqual(['Road', 'blockade']);
    expect(input.placeIds).toEqual(['p1', 'p2']);
  });

  it('refuses a count that is not a whole number, keeping what was typed', () => {
    const draft = readDraft(form([['affected.children', 'about 12']]));
    expect(draft.affected.children).toBe('about 12');
    expect(toInput(draft).errors).toEqual({ 'affected.children': 'Give a whole number, or leave it empty.' });
  });

  it('points an API error at the row the reader filled, even after a blank row', () => {
    const draft = readDraft(
      form([
        ['responsible.0.name', 'A'],
        ['responsible.0.attribution', 'report 1'],
        ['responsible.1.name', ''],
        ['responsible.1.attribution', ''],
        ['responsible.2.name', 'B'],
        ['responsible.2.attribution', ''],
        ['responsible.3.name', ''],
        ['responsible.3.attribution', ''],
        ['links.0.kind', 'part-of'],
        ['links.0.recordId', ''],
        ['links.1.kind', 'caused-by'],
        ['links.1.recordId', 'r9'],
        ['links.2.kind', 'part-of'],
        ['links.2.recordId', ''],
      ]),
    );
    // Trailing blank rows are spare ones and dropped; inner ones keep the rows after them in place.
    expect(draft.responsible).toHaveLength(3);
    expect(draft.links).toHaveLength(2);
    const { input, rowOf } = toInput(draft);
    expect(input.responsible).toHaveLength(2);
    expect(input.links).toEqual([{ kind: 'caused-by', recordId: 'r9' }]);
    expect(fieldOf('responsible.1.attribution', rowOf)).toBe('responsible.2.attribution');
    expect(fieldOf('links.0.recordId', rowOf)).toBe('links.1.recordId');
    expect(fieldOf('rightIds.3', rowOf)).toBe('rightIds');
    expect(fieldOf('texts.fr.title', rowOf)).toBe('texts.fr.title');
    expect(fieldOf('(root)', rowOf)).toBe('form');
  });

  it('explains the API’s date rules in the reader’s words', () => {
    expect(recordFieldMessage('a month precision needs the form YYYY-MM')).toBe(
      'For this precision, write the date as YYYY-MM.',
    );
    expect(recordFieldMessage('the end date is before the start date')).toBe('The end is before the start.');
    expect(recordFieldMessage('Too small: expected string to have >=1 characters')).toBe('Required.');
  });
});
