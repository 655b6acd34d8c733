// Every view by route, in the order of the navigation tabs.
import type { Route } from '../dashboard-state.js';
import { customersView } from './customers.js';
import { executiveView } from './executive.js';
import { funnelView } from './funnel.js';
import { productsView } from './products.js';
import type { ViewDef } from './view.js';

export const VIEWS: Record<Route, ViewDef> = {
  executive: executiveView, products: productsView, customers: customersView, funnel: funnelView,
};
