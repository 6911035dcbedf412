// Contacts and their business relations as Business Central keeps them. With Marketing Setup's "Bus. Rel. Code for
// Customers" set (it is in every CRONUS company), inserting a customer makes its contact (codeunit CustCont-Update,
// InsertNewContact): the customer's contact type (v2.0 customer.type), name, address, phone and e-mail, and a Contact
// Business Relation linking the two. API v2.0 shows that link as `contactsInformation` ($metadata: EntityType
// contactInformation, key contactId, relatedId/relatedType; the set is read-only) — top level and below a customer.
// A person contact names its company by `companyNumber`, which must be a company contact (Contact."Company No." is
// related to Contact where Type = Company); BC fills `companyName` and the business relation from that company.
import { randomUUID } from 'node:crypto';
import { BcError } from './errors.js';
import type { BcStore } from './store.js';
import type { Row } from './values.js';

/** The customer fields BC copies to its contact (CustCont-Update), by v2.0 name (same names on both entities). */
const COPIED = ['addressLine1', 'addressLine2', 'city', 'state', 'country', 'postalCode', 'phoneNumber', 'email', 'website'] as const; // prettier-ignore

const contactNumberField = (value: unknown) =>
  new BcError(
    400,
    'Application_FieldValidationException',
    `The field Company No. of table Contact contains a value (${String(value)}) that cannot be found in the related ` +
      'table (Contact).',
  );

/** The customer's contact: `contactsInformation` row + contact, as made when the customer is inserted. */
export function contactInformationRow(contact: Row, customerId: unknown): Row {
  return {
    contactId: contact.id,
    contactNumber: contact.number,
    contactName: contact.displayName,
    contactType: contact.type,
    relatedId: customerId,
    relatedType: 'Customer',
  };
}

/** After a customer's insert: its contact and business relation, as BC makes them. */
export function insertCustomerContact(
  store: BcStore,
  companyId: string,
  customer: Row,
  nextNumber: () => string,
): void {
  const number = nextNumber();
  const company = customer.type !== 'Person';
  const contact: Row = {
    id: randomUUID(),
    number,
    type: company ? 'Company' : 'Person',
    displayName: customer.displayName,
    searchName: String(customer.displayName ?? '').toUpperCase(),
    // A company contact is its own company (Contact.Validate Type: "Company No." := "No.").
    companyNumber: company ? number : '',
    companyName: company ? customer.displayName : '',
    contactBusinessRelation: 'Customer',
  };
  for (const field of COPIED) contact[field] = customer[field];
  const stored = store.insert(companyId, 'contacts', contact);
  store.insert(companyId, 'contactsInformation', contactInformationRow(stored.row, customer.id));
}

/** Before a contact's insert or change: the company it names must be a company contact; its name comes along. */
export function prepareContact(store: BcStore, companyId: string, out: Row, values: Row, creating: boolean): Row {
  if (creating && out.type === 'Company' && !out.companyNumber) return { ...out, companyNumber: out.number, companyName: out.displayName }; // prettier-ignore
  if (values.companyNumber === undefined) return out;
  if (values.companyNumber === '' || values.companyNumber === out.number) {
    return { ...out, companyName: values.companyNumber === '' ? '' : out.displayName };
  }
  const company = store.findBy(companyId, 'contacts', 'number', values.companyNumber).find((c) => c.row.type === 'Company'); // prettier-ignore
  if (!company) throw contactNumberField(values.companyNumber);
  // A person under a company takes the company's business relation (Contact.UpdateBusinessRelation).
  return {
    ...out,
    companyName: company.row.displayName,
    contactBusinessRelation: company.row.contactBusinessRelation,
  };
}

/** After a customer's delete: its business relation goes, the contact stays (CustCont-Update.OnDelete). */
export function removeCustomerRelation(store: BcStore, companyId: string, customer: Row): void {
  for (const link of store.findBy(companyId, 'contactsInformation', 'relatedId', customer.id)) {
    store.remove(companyId, 'contactsInformation', String(link.row.contactId));
  }
}
