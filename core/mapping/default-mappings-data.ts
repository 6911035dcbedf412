// The shipped default mappings (resources/default-mappings/*.json), imported so that bundles carry them;
// default-mappings.test.ts checks that every file of the folder is listed here.
import acumaticaCustomerToBcCustomers from '../../resources/default-mappings/acumatica.Customer--business-central.customers.json' with { type: 'json' };
import acumaticaStockItemToBcItems from '../../resources/default-mappings/acumatica.StockItem--business-central.items.json' with { type: 'json' };
import bcCustomersToAcumaticaCustomer from '../../resources/default-mappings/business-central.customers--acumatica.Customer.json' with { type: 'json' };
import bcCustomersToFile from '../../resources/default-mappings/business-central.customers--file.json' with { type: 'json' };
import bcItemsToAcumaticaStockItem from '../../resources/default-mappings/business-central.items--acumatica.StockItem.json' with { type: 'json' };
import bcItemsToLightspeedProducts from '../../resources/default-mappings/business-central.items--lightspeed.products.json' with { type: 'json' };
import fileToBcCustomers from '../../resources/default-mappings/file--business-central.customers.json' with { type: 'json' };
import lightspeedCustomersToBcCustomers from '../../resources/default-mappings/lightspeed.customers--business-central.customers.json' with { type: 'json' };

/** File name (in resources/default-mappings) → its parsed JSON, not yet validated. */
export const DEFAULT_MAPPING_FILES: Readonly<Record<string, unknown>> = {
  'acumatica.Customer--business-central.customers.json': acumaticaCustomerToBcCustomers,
  'acumatica.StockItem--business-central.items.json': acumaticaStockItemToBcItems,
  'business-central.customers--acumatica.Customer.json': bcCustomersToAcumaticaCustomer,
  'business-central.customers--file.json': bcCustomersToFile,
  'business-central.items--acumatica.StockItem.json': bcItemsToAcumaticaStockItem,
  'business-central.items--lightspeed.products.json': bcItemsToLightspeedProducts,
  'file--business-central.customers.json': fileToBcCustomers,
  'lightspeed.customers--business-central.customers.json': lightspeedCustomersToBcCustomers,
};
