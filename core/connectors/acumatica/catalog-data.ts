// The generated catalogs (catalog/*.json), imported so that bundles carry them; catalog.test.ts checks that every
// generated file is listed here.
import type { AcuCatalogData } from './catalog.js';
import c_Default_20_200_001 from './catalog/Default-20.200.001.json' with { type: 'json' };
import c_Default_22_200_001 from './catalog/Default-22.200.001.json' with { type: 'json' };
import c_Default_23_200_001 from './catalog/Default-23.200.001.json' with { type: 'json' };
import c_Default_24_200_001 from './catalog/Default-24.200.001.json' with { type: 'json' };
import c_MANUFACTURING_20_200_001 from './catalog/MANUFACTURING-20.200.001.json' with { type: 'json' };
import c_MANUFACTURING_21_200_001 from './catalog/MANUFACTURING-21.200.001.json' with { type: 'json' };
import c_MANUFACTURING_23_100_001 from './catalog/MANUFACTURING-23.100.001.json' with { type: 'json' };
import c_MANUFACTURING_23_200_001 from './catalog/MANUFACTURING-23.200.001.json' with { type: 'json' };
import c_MANUFACTURING_24_200_001 from './catalog/MANUFACTURING-24.200.001.json' with { type: 'json' };
import c_eCommerce_20_200_001 from './catalog/eCommerce-20.200.001.json' with { type: 'json' };
import c_eCommerce_22_200_001 from './catalog/eCommerce-22.200.001.json' with { type: 'json' };
import c_eCommerce_23_200_001 from './catalog/eCommerce-23.200.001.json' with { type: 'json' };
import c_eCommerce_24_200_001 from './catalog/eCommerce-24.200.001.json' with { type: 'json' };

export const ACUMATICA_CATALOG_DATA: readonly AcuCatalogData[] = [
  c_Default_20_200_001 as unknown as AcuCatalogData,
  c_Default_22_200_001 as unknown as AcuCatalogData,
  c_Default_23_200_001 as unknown as AcuCatalogData,
  c_Default_24_200_001 as unknown as AcuCatalogData,
  c_MANUFACTURING_20_200_001 as unknown as AcuCatalogData,
  c_MANUFACTURING_21_200_001 as unknown as AcuCatalogData,
  c_MANUFACTURING_23_100_001 as unknown as AcuCatalogData,
  c_MANUFACTURING_23_200_001 as unknown as AcuCatalogData,
  c_MANUFACTURING_24_200_001 as unknown as AcuCatalogData,
  c_eCommerce_20_200_001 as unknown as AcuCatalogData,
  c_eCommerce_22_200_001 as unknown as AcuCatalogData,
  c_eCommerce_23_200_001 as unknown as AcuCatalogData,
  c_eCommerce_24_200_001 as unknown as AcuCatalogData,
];
