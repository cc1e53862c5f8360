// 关怀模式: applied before the page paints (loaded in <head>, not deferred), so large type
// does not flash small first. The toggle itself is in shell.js.
try {
  if (window.localStorage.getItem("doorstep.care") === "1") document.documentElement.classList.add("care");
} catch (e) { /* private mode: no storage */ }
