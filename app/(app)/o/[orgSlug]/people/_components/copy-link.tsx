'use client';

import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/** A read-only link with a copy button (falls back to selecting the text for manual copying). */
export function CopyLink({ url, label }: { url: string; label: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'manual'>('idle');

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('copied');
    } catch {
      input.current?.select();
      setCopied('manual');
    }
  }

  return (
    <div>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          ref={input}
          readOnly
          value={url}
          aria-label={label}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full min-w-0 flex-1 rounded-md border border-gray-300 bg-gray-50 px-3 py-2 font-mono text-xs text-gray-800 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
        />
        <Button type="button" variant="secondary" onClick={() => void copy()} className="shrink-0">
          {copied === 'copied' ? 'Copied' : 'Copy link'}
        </Button>
      </div>
      <p aria-live="polite" className="mt-1 text-xs text-gray-500">
        {copied === 'copied' ? 'The link is on your clipboard.' : copied === 'manual' ? 'Press Ctrl+C (or ⌘C) to copy the selected link.' : ''}
      </p>
    </div>
  );
}
