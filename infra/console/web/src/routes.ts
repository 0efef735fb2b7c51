/**
 * Every page of the console, listed once: the router serves these and the navigation shows those
 * with a `nav` entry. A page is one file under `pages/`, loaded the first time it opens; its
 * messages sit beside it in a `*.messages.ts` file. Adding a page is one line here.
 */
import type { NavKey } from './layout/nav.messages.ts';
import type { Role } from './session/console-config.ts';
import { lazyPage, type PageComponent } from './ui/lazy-page.tsx';

export interface ConsoleRoute {
  /** A wouter pattern: `/customers/:customerId` passes `params.customerId` to the page. */
  path: string;
  page: PageComponent;
  /** Shown in the navigation under this label (order: `NAV_ORDER`). */
  nav?: NavKey;
  /** The least role the page is for; others do not see it in the navigation (the API enforces it). */
  role?: Role;
}

export const routes: readonly ConsoleRoute[] = [
  {
    path: '/customers',
    page: lazyPage(() => import('./pages/customers/find-customer-page.tsx')),
    nav: 'customers',
  },
  {
    path: '/customers/:customerId',
    page: lazyPage(() => import('./pages/customers/customer-page.tsx')),
  },
  {
    path: '/hand-overs',
    page: lazyPage(() => import('./pages/hand-overs/hand-over-inbox-page.tsx')),
    nav: 'handOvers',
  },
  {
    path: '/journeys',
    page: lazyPage(() => import('./pages/journeys/journeys-page.tsx')),
    nav: 'journeys',
  },
  {
    path: '/results',
    page: lazyPage(() => import('./pages/results/results-page.tsx')),
    nav: 'results',
  },
  {
    path: '/templates',
    page: lazyPage(() => import('./pages/templates/templates-page.tsx')),
    nav: 'templates',
  },
  {
    path: '/simulator',
    page: lazyPage(() => import('./pages/simulator/simulator-page.tsx')),
    nav: 'simulator',
  },
  {
    path: '/simulator/:customerId',
    page: lazyPage(() => import('./pages/simulator/simulator-page.tsx')),
  },
  {
    path: '/operations',
    page: lazyPage(() => import('./pages/operations/operations-page.tsx')),
    nav: 'operations',
  },
];
