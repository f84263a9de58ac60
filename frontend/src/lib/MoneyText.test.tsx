import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MoneyText } from './MoneyText';

describe('MoneyText', () => {
  it('shows the exact amount, and a dash (or what the screen asks) for none', () => {
    render(
      <>
        <MoneyText value={{ amount: '36080.00', currency: 'CNY' }} testId="a" />
        <MoneyText value={null} testId="b" />
        <MoneyText value={undefined} testId="c" empty="" />
      </>,
    );
    expect(screen.getByTestId('a').textContent).toMatch(/36,080\.00/);
    expect(screen.getByTestId('b').textContent).toBe('—');
    expect(screen.getByTestId('c').textContent).toBe('');
  });

  it('colours a negative amount only where the screen asks, by its exact sign', () => {
    render(
      <>
        <MoneyText value={{ amount: '-0.01', currency: 'CNY' }} testId="red" negativeRed />
        <MoneyText value={{ amount: '-0.01', currency: 'CNY' }} testId="plain" />
        <MoneyText value={{ amount: '0.00', currency: 'CNY' }} testId="zero" negativeRed />
      </>,
    );
    expect(screen.getByTestId('red').style.color).toBe('rgb(207, 19, 34)');
    expect(screen.getByTestId('plain').style.color).toBe('');
    expect(screen.getByTestId('zero').style.color).toBe('');
  });
});
