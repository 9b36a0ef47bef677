import type { Config } from 'tailwindcss';
import colors from 'tailwindcss/colors';
import plugin from 'tailwindcss/plugin';

/** Tremor 4 (beta) on Tailwind 3: its class names use `tremor-*` tokens and bare `data-*` variants. */
function token<T extends Record<string, string>>(values: T & { DEFAULT: string }) {
  // Tremor's beta uses both `tremor-brand` and `tremor-brand-default`, so expose both keys.
  return { ...values, default: values.DEFAULT };
}

const dataStates = ['selected', 'focus', 'closed', 'open', 'disabled', 'active', 'checked'];

const config: Config = {
  content: [
    './app/**/*.{ts,tsx}',
    './components/**/*.{ts,tsx}',
    './lib/**/*.{ts,tsx}',
    './node_modules/@tremor/**/*.{js,ts,jsx,tsx}',
  ],
  theme: {
    transparent: 'transparent',
    current: 'currentColor',
    extend: {
      colors: {
        tremor: {
          brand: token({
            faint: colors.indigo[50],
            muted: colors.indigo[200],
            subtle: colors.indigo[400],
            DEFAULT: colors.indigo[600],
            emphasis: colors.indigo[700],
            inverted: colors.white,
          }),
          background: token({
            muted: colors.gray[50],
            subtle: colors.gray[100],
            DEFAULT: colors.white,
            emphasis: colors.gray[700],
          }),
          border: token({ DEFAULT: colors.gray[200] }),
          ring: token({ DEFAULT: colors.gray[200] }),
          content: token({
            subtle: colors.gray[400],
            DEFAULT: colors.gray[500],
            emphasis: colors.gray[700],
            strong: colors.gray[900],
            inverted: colors.white,
          }),
        },
      },
      boxShadow: {
        'tremor-input': '0 1px 2px 0 rgb(0 0 0 / 0.05)',
        'tremor-card': '0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1)',
        'tremor-dropdown': '0 4px 6px -1px rgb(0 0 0 / 0.1), 0 2px 4px -2px rgb(0 0 0 / 0.1)',
      },
      borderRadius: {
        'tremor-small': '0.375rem',
        'tremor-default': '0.5rem',
        'tremor-full': '9999px',
      },
      fontSize: {
        'tremor-label': ['0.75rem', { lineHeight: '1rem' }],
        'tremor-default': ['0.875rem', { lineHeight: '1.25rem' }],
        'tremor-title': ['1.125rem', { lineHeight: '1.75rem' }],
        'tremor-metric': ['1.875rem', { lineHeight: '2.25rem' }],
      },
    },
  },
  plugins: [
    plugin(({ addVariant }) => {
      for (const state of dataStates) {
        addVariant(`data-${state}`, `&[data-${state}]`);
      }
    }),
  ],
};

export default config;
