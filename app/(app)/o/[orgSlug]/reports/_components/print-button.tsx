'use client';

import { Button } from '@/components/ui/button';

/** Opens the browser's print dialog (the print layout hides navigation and controls). */
export function PrintButton() {
  return (
    <Button type="button" variant="secondary" onClick={() => window.print()}>
      Print
    </Button>
  );
}
