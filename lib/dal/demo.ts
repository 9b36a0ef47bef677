/**
 * The demo personas for the sign-in page. Not tenant-scoped on purpose: it names only the demo
 * organization's persona accounts, and only while demo mode is on and that organization exists.
 */
export { getDemoAccounts, type DemoAccount } from '@/lib/seed/demo';
