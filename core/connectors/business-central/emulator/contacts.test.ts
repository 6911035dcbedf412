import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBcEmulator, type BcEmulator } from './server.js';
import { client, USA } from './test-support.js';

describe('Business Central emulator: contacts and business relations', () => {
  let bc: BcEmulator;
  let api: ReturnType<typeof client>;
  beforeEach(async () => {
    bc = await startBcEmulator();
    api = client(bc);
  });
  afterEach(() => bc.close());
  const c = (path: string) => `companies(${USA})/${path}`;

  it('links every seeded customer to its contact through contactsInformation', async () => {
    const [customer] = (await api.get(c('customers?$top=1'))).body.value;
    const links = (await api.get(c(`customers(${customer.id})/contactsInformation`))).body.value;
    expect(links).toEqual([expect.objectContaining({ contactType: 'Company', contactName: customer.displayName, relatedId: customer.id, relatedType: 'Customer' })]); // prettier-ignore
    const contact = (await api.get(c(`contacts(${links[0].contactId})`))).body;
    expect(contact).toMatchObject({ number: links[0].contactNumber, type: 'Company', contactBusinessRelation: 'Customer' }); // prettier-ignore
  });

  it("creates a customer's contact on insert as BC's Marketing Setup does: company or person, name and address", async () => {
    const customer = (await api.post(c('customers'), { displayName: 'Hale & Sons Ltd', type: 'Company', email: 'tom@hale.example', addressLine1: '2 Harbour Road', city: 'Wellington', phoneNumber: '+64 4 555 0102' })).body; // prettier-ignore
    const filter = `$filter=relatedId eq ${customer.id}`;
    const [link] = (await api.get(c(`contactsInformation?${filter}`))).body.value;
    expect(link).toMatchObject({ contactNumber: 'CT200010', contactName: 'Hale & Sons Ltd', contactType: 'Company', relatedType: 'Customer' }); // prettier-ignore
    const contact = (await api.get(c(`contacts(${link.contactId})`))).body;
    expect(contact).toMatchObject({ number: 'CT200010', type: 'Company', displayName: 'Hale & Sons Ltd', companyNumber: 'CT200010', companyName: 'Hale & Sons Ltd', contactBusinessRelation: 'Customer', email: 'tom@hale.example', addressLine1: '2 Harbour Road', city: 'Wellington', phoneNumber: '+64 4 555 0102' }); // prettier-ignore

    const person = (await api.post(c('customers'), { displayName: 'Anna Berg', type: 'Person' })).body;
    const [personLink] = (await api.get(c(`customers(${person.id})/contactsInformation`))).body.value;
    expect(personLink).toMatchObject({ contactNumber: 'CT200011', contactType: 'Person', relatedId: person.id });
    expect((await api.get(c(`contacts(${personLink.contactId})`))).body).toMatchObject({ companyNumber: '', companyName: '' }); // prettier-ignore

    // The relation is read-only in the API ($metadata: InsertRestrictions Insertable false), and goes with the customer.
    expect((await api.post(c('contactsInformation'), { contactNumber: 'X' })).status).toBe(405);
    await api.delete(c(`customers(${customer.id})`), { 'If-Match': '*' });
    expect((await api.get(c(`contactsInformation?${filter}`))).body.value).toEqual([]);
    expect((await api.get(c(`contacts(${link.contactId})`))).status).toBe(200);
  });

  it('takes a person under a company contact by companyNumber, filling its name, and refuses an unknown company', async () => {
    const customer = (await api.post(c('customers'), { displayName: 'Northwind Traders', type: 'Company' })).body;
    const [link] = (await api.get(c(`customers(${customer.id})/contactsInformation`))).body.value;
    const person = await api.post(c('contacts'), { type: 'Person', displayName: 'Mia Chen', email: 'mia@northwind.example', companyNumber: link.contactNumber }); // prettier-ignore
    expect(person.status).toBe(201);
    expect(person.body).toMatchObject({ type: 'Person', companyNumber: link.contactNumber, companyName: 'Northwind Traders', contactBusinessRelation: 'Customer' }); // prettier-ignore

    const unknown = await api.post(c('contacts'), { type: 'Person', displayName: 'Nobody', companyNumber: 'CT999999' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('Application_FieldValidationException');
    expect(unknown.body.error.message).toMatch(/^The field Company No\. of table Contact contains a value \(CT999999\) that cannot be found in the related table \(Contact\)\./); // prettier-ignore
    // A person is no company: a contact under a person is refused the same way.
    const underPerson = await api.post(c('contacts'), { type: 'Person', displayName: 'Two', companyNumber: person.body.number }); // prettier-ignore
    expect(underPerson.body.error.code).toBe('Application_FieldValidationException');

    const company = await api.post(c('contacts'), { type: 'Company', displayName: 'Fabrikam' });
    expect(company.body).toMatchObject({ companyNumber: company.body.number, companyName: 'Fabrikam' });
  });
});
