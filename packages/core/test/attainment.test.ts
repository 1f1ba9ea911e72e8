import { expect, test } from "vitest";
import { attainment } from "../src/index.js";

test("a floor (新增公办园50所): the share reached, past 1 when exceeded", () => {
  const target = { value: 50, valueMax: null, direction: "at_least" } as const;
  expect(attainment(target, 25)).toBe(0.5);
  expect(attainment(target, 50)).toBe(1);
  expect(attainment(target, 60)).toBe(1.2);
  expect(attainment(target, -3)).toBe(0);
  expect(attainment(target, null)).toBeNull();
  expect(attainment(target, Number.NaN)).toBeNull();
  expect(attainment({ value: 0, valueMax: null, direction: "at_least" }, 0)).toBe(1);
});

test("a ceiling (控制在5%以内): met at or below, the ratio above", () => {
  const target = { value: 5, valueMax: null, direction: "at_most" } as const;
  expect(attainment(target, 3)).toBe(1);
  expect(attainment(target, 5)).toBe(1);
  expect(attainment(target, 10)).toBe(0.5);
  expect(attainment({ value: 0, valueMax: null, direction: "at_most" }, 0)).toBe(1);
  expect(attainment({ value: 0, valueMax: null, direction: "at_most" }, 2)).toBeNull();
});

test("a range (5–8%): met inside, short below, over above", () => {
  const target = { value: 5, valueMax: 8, direction: "within" } as const;
  expect(attainment(target, 6)).toBe(1);
  expect(attainment(target, 5)).toBe(1);
  expect(attainment(target, 8)).toBe(1);
  expect(attainment(target, 2.5)).toBe(0.5);
  expect(attainment(target, 16)).toBe(0.5);
});
