// The practice exam's behaviour. Question data comes from the JSON block qbank wrote into the
// page; its HTML fragments were rendered from Markdown and sanitised at export, so they are
// inserted as they are. Progress lives in localStorage under a key that names this bank.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("qbank-data").textContent);
  const questions = new Map(data.questions.map((q) => [q.id, q]));
  const sections = new Map(data.sections.map((s) => [s.code, s]));
  const $ = (id) => document.getElementById(id);

  // ---- Stored progress ---------------------------------------------------------------------
  // practice.answers[id] = {chosen: [option index…], right: bool}; a run is the list of ids
  // being worked through (all questions, or the missed ones) and the position in it.
  // exam = {ids, position, chosen: {id: [index…]}, deadline, finished, seed}
  function freshState() {
    return { practice: { answers: {}, run: null, seed: newSeed() }, exam: null };
  }

  function loadState() {
    try {
      const stored = JSON.parse(localStorage.getItem(data.storage_key));
      if (stored && stored.practice && stored.practice.answers) return stored;
    } catch (error) {
      // unreadable or unavailable storage: start afresh
    }
    return freshState();
  }

  let state = loadState();

  function save() {
    try {
      localStorage.setItem(data.storage_key, JSON.stringify(state));
    } catch (error) {
      // private browsing or a full disk: the sitting still works, it just is not kept
    }
  }

  // ---- Seeded randomness (mulberry32), so a reload shows the same order ----------------------
  function newSeed() {
    return Math.floor(Math.random() * 0x100000000);
  }

  function random(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  function shuffled(items, next) {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  // ---- Questions -----------------------------------------------------------------------------
  function keyOf(question) {
    return question.options.flatMap((option, index) => (option.correct ? [index] : []));
  }

  // All or nothing, as the real exam scores: exactly the key, no more, no fewer.
  function isRight(question, chosen) {
    const key = keyOf(question);
    return chosen.length === key.length && key.every((index) => chosen.includes(index));
  }

  function needed(question) {
    return question.type === "multiple" ? question.select : 1;
  }

  function optionOrder(question, seed) {
    const indexes = question.options.map((_, index) => index);
    return question.shuffle ? shuffled(indexes, random(seed ^ hash(question.id))) : indexes;
  }

  // The exam's draw: each section's quota (computed at export from the guide's weights, as
  // `qbank build-exam` apportions them) taken at random from that section's questions.
  function drawExam(plan, seed) {
    const next = random(seed);
    const drawn = [];
    for (const section of data.sections) {
      const pool = data.questions.filter((q) => q.section === section.code).map((q) => q.id);
      drawn.push(...shuffled(pool, next).slice(0, plan.quotas[section.code] || 0));
    }
    return shuffled(drawn, next);
  }

  // ---- Screens -------------------------------------------------------------------------------
  let mode = null; // "practice" or "exam" while a question is shown
  let timer = null;

  function show(screen, focusId) {
    for (const element of document.querySelectorAll(".screen")) element.hidden = element.id !== screen;
    window.scrollTo(0, 0);
    $(focusId).focus();
  }

  function showHome() {
    mode = null;
    stopTimer();
    if (state.exam && !state.exam.finished && state.exam.deadline <= Date.now()) markExam();
    const answers = Object.values(state.practice.answers);
    const right = answers.filter((a) => a.right).length;
    const missed = missedIds().length;
    $("practice-progress").textContent = answers.length
      ? `You have answered ${answers.length} of ${data.questions.length} questions, ${right} of them right.`
      : `${data.questions.length} questions to practise.`;
    $("practice-start").textContent = state.practice.run && !state.practice.run.review ? "Continue practising" : "Start practising";
    $("practice-missed").textContent = `Review missed questions (${missed})`;
    $("practice-missed").disabled = missed === 0;
    $("practice-results").disabled = answers.length === 0;
    const running = state.exam && !state.exam.finished && state.exam.deadline > Date.now();
    $("exam-resume").hidden = !running;
    show("home", "home-heading");
  }

  function missedIds() {
    return data.questions.map((q) => q.id).filter((id) => state.practice.answers[id] && !state.practice.answers[id].right);
  }

  function renderPlans() {
    const list = $("exam-plans");
    data.exam_plans.forEach((plan, index) => {
      const id = `plan-${plan.size}`;
      const input = Object.assign(document.createElement("input"), { type: "radio", name: "plan", id, value: index });
      input.checked = index === data.exam_plans.length - 1;
      const label = Object.assign(document.createElement("label"), { htmlFor: id });
      label.textContent = `${plan.size} questions, ${plan.minutes} minutes`;
      const row = document.createElement("div");
      row.append(input, label);
      list.append(row);
    });
  }

  // ---- A question ----------------------------------------------------------------------------
  function current() {
    const run = mode === "exam" ? state.exam : state.practice.run;
    return { run, question: questions.get(run.ids[run.position]) };
  }

  function chosenNow() {
    return Array.from(document.querySelectorAll("#option-list input:checked"), (input) => Number(input.dataset.index));
  }

  function storedChoice(question) {
    if (mode === "exam") return state.exam.chosen[question.id] || [];
    const answer = state.practice.answers[question.id];
    return answer && state.practice.run.locked ? answer.chosen : [];
  }

  function renderQuestion() {
    const { run, question } = current();
    const seed = mode === "exam" ? state.exam.seed : state.practice.seed;
    const count = needed(question);
    $("quiz").dataset.questionId = question.id;
    $("question-heading").textContent = `Question ${run.position + 1} of ${run.ids.length}`;
    $("question-domain").textContent = question.topic;
    $("question-stem").innerHTML = question.stem;
    $("question-legend").textContent = count === 1 ? "Choose one answer." : `Choose ${count} answers.`;
    $("last-key").textContent = String(Math.min(question.options.length, 9));
    const list = $("option-list");
    list.replaceChildren();
    const chosen = storedChoice(question);
    optionOrder(question, seed).forEach((index, position) => {
      const item = $("option-template").content.firstElementChild.cloneNode(true);
      const input = item.querySelector("input");
      const label = item.querySelector("label");
      Object.assign(input, {
        type: count === 1 ? "radio" : "checkbox",
        name: "answer",
        id: `option-${position + 1}`,
        checked: chosen.includes(index),
      });
      input.dataset.index = String(index);
      label.htmlFor = input.id;
      label.querySelector(".key").textContent = String(position + 1);
      label.querySelector(".text").innerHTML = question.options[index].html;
      item.querySelector(".rationale").hidden = true;
      list.append(item);
    });
    $("feedback").replaceChildren();
    $("question-previous").disabled = run.position === 0;
    $("question-submit").textContent = mode === "exam" ? "Next" : "Submit";
    $("question-finish").textContent = mode === "exam" ? "Finish the exam" : "Finish";
    if (mode === "practice" && state.practice.run.locked) reveal(question, chosen);
    updateSelection();
    show("quiz", "question-heading");
  }

  function updateSelection() {
    const { question } = current();
    const chosen = chosenNow();
    const count = needed(question);
    const locked = mode === "practice" && state.practice.run.locked;
    $("selection-status").textContent = count > 1 && !locked ? `${chosen.length} of ${count} chosen.` : "";
    // In practice, Submit becomes Next once answered and Skip shows until then; in the exam,
    // Submit is Next and answers are marked at the end.
    $("question-next").hidden = mode === "exam" || locked;
    if (mode === "practice") {
      $("question-submit").textContent = locked ? "Next" : "Submit";
      $("question-submit").disabled = !locked && chosen.length !== count;
    }
    if (mode === "exam") {
      state.exam.chosen[question.id] = chosen;
      save();
    }
  }

  // After an answer: every option says whether it is right, with its rationale.
  function reveal(question, chosen) {
    for (const item of document.querySelectorAll("#option-list .option")) {
      const input = item.querySelector("input");
      const index = Number(input.dataset.index);
      const option = question.options[index];
      input.disabled = true;
      const picked = chosen.includes(index);
      item.classList.add(option.correct ? "right" : "wrong");
      item.classList.toggle("picked", picked);
      const words = option.correct ? "Correct answer" : "Not a correct answer";
      item.querySelector(".verdict").textContent = picked ? `${words}: you chose it.` : `${words}.`;
      const rationale = item.querySelector(".rationale");
      rationale.innerHTML = option.rationale;
      rationale.hidden = !option.rationale;
    }
    const right = isRight(question, chosen);
    const key = keyOf(question)
      .map((index) => Number($("option-list").querySelector(`input[data-index="${index}"]`).id.replace("option-", "")))
      .sort((a, b) => a - b);
    const feedback = $("feedback");
    feedback.innerHTML = "";
    const verdict = document.createElement("h3");
    verdict.id = "verdict";
    verdict.tabIndex = -1;
    verdict.className = right ? "right" : "wrong";
    verdict.textContent = right ? "Right." : `Wrong. The answer is ${key.join(" and ")}.`;
    feedback.append(verdict);
    if (question.explanation) {
      const explanation = document.createElement("div");
      explanation.className = "explanation";
      explanation.innerHTML = question.explanation;
      feedback.append(explanation);
    }
    if (question.references.length) feedback.append(referenceList(question.references));
  }

  function referenceList(references) {
    const list = document.createElement("ul");
    list.className = "references";
    for (const reference of references) {
      const item = document.createElement("li");
      if (reference.link) {
        const link = Object.assign(document.createElement("a"), { href: reference.url, textContent: reference.url, rel: "noopener noreferrer" });
        item.append(link);
      } else {
        item.textContent = reference.url;
      }
      list.append(item);
    }
    const block = document.createElement("div");
    const heading = document.createElement("h4");
    heading.textContent = "References";
    block.append(heading, list);
    return block;
  }

  // Submit in practice; in the exam, Submit is "Next".
  function submit() {
    const { question } = current();
    if (mode === "exam") return move(1);
    const run = state.practice.run;
    if (run.locked) return move(1);
    const chosen = chosenNow();
    if (chosen.length !== needed(question)) return;
    state.practice.answers[question.id] = { chosen, right: isRight(question, chosen) };
    run.locked = true;
    save();
    reveal(question, chosen);
    updateSelection();
    $("verdict").focus();
  }

  function move(step) {
    const { run } = current();
    const position = run.position + step;
    if (position >= run.ids.length) return finish();
    if (position < 0) return;
    run.position = position;
    if (mode === "practice") run.locked = Boolean(state.practice.answers[run.ids[position]]) && step < 0;
    save();
    renderQuestion();
  }

  function finish() {
    if (mode === "exam") {
      markExam();
      return showResults("exam");
    }
    showResults("practice");
  }

  // A marked exam's answers also count as practice, so its missed questions can be reviewed.
  function markExam() {
    for (const { question, chosen, right } of examOutcome()) {
      state.practice.answers[question.id] = { chosen, right };
    }
    state.exam.finished = true;
    save();
  }

  // ---- Practice and exam runs ----------------------------------------------------------------
  function startPractice(review) {
    const ids = review ? missedIds() : data.questions.map((q) => q.id);
    const run = state.practice.run;
    if (!review && run && !run.review) {
      mode = "practice";
      return renderQuestion(); // continue where the learner left off
    }
    const unanswered = ids.findIndex((id) => !state.practice.answers[id]);
    state.practice.run = { ids, position: review || unanswered < 0 ? 0 : unanswered, review, locked: false };
    save();
    mode = "practice";
    renderQuestion();
  }

  function startExam() {
    const plan = data.exam_plans[Number(document.querySelector("input[name=plan]:checked").value)];
    const seed = newSeed();
    state.exam = { ids: drawExam(plan, seed), position: 0, chosen: {}, seed, finished: false, deadline: Date.now() + plan.minutes * 60000 };
    save();
    resumeExam();
  }

  function resumeExam() {
    mode = "exam";
    startTimer();
    renderQuestion();
  }

  function startTimer() {
    stopTimer();
    $("timer").hidden = false;
    const tick = () => {
      const left = Math.max(0, state.exam.deadline - Date.now());
      const minutes = Math.floor(left / 60000);
      const seconds = Math.floor((left % 60000) / 1000);
      $("timer").textContent = `${minutes}:${String(seconds).padStart(2, "0")} left`;
      if (left === 0) finish();
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  function stopTimer() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    $("timer").hidden = true;
  }

  // ---- Results -------------------------------------------------------------------------------
  function showResults(kind) {
    stopTimer();
    mode = null;
    const outcome = kind === "exam" ? examOutcome() : practiceOutcome();
    const right = outcome.filter((o) => o.right).length;
    const percent = outcome.length ? Math.round((100 * right) / outcome.length) : 0;
    $("results-heading").textContent = kind === "exam" ? "Exam results" : "Practice results";
    $("score").textContent = `Score: ${percent}% (${right} of ${outcome.length} right).`;
    const body = $("section-scores").querySelector("tbody");
    body.replaceChildren();
    for (const section of data.sections) {
      const mine = outcome.filter((o) => o.question.section === section.code);
      const sectionRight = mine.filter((o) => o.right).length;
      const cells = [
        `${section.code} ${section.title}`,
        `${section.weight}%`,
        String(mine.length),
        String(sectionRight),
        mine.length ? `${Math.round((100 * sectionRight) / mine.length)}%` : "–",
      ];
      const row = document.createElement("tr");
      row.dataset.section = section.code;
      for (const text of cells) row.append(Object.assign(document.createElement("td"), { textContent: text }));
      body.append(row);
    }
    const missed = $("missed-list");
    missed.replaceChildren();
    for (const { question } of outcome.filter((o) => !o.right)) {
      const item = document.createElement("li");
      item.textContent = `${question.topic}: ${question.title}`;
      missed.append(item);
    }
    $("missed-heading").hidden = missed.children.length === 0;
    show("results", "results-heading");
  }

  function practiceOutcome() {
    return data.questions
      .filter((q) => state.practice.answers[q.id])
      .map((q) => ({ question: q, right: state.practice.answers[q.id].right }));
  }

  function examOutcome() {
    return state.exam.ids.map((id) => {
      const question = questions.get(id);
      const chosen = state.exam.chosen[id] || [];
      return { question, chosen, right: isRight(question, chosen) };
    });
  }

  // ---- Keyboard: number keys choose, Enter submits or goes on ---------------------------------
  function onKey(event) {
    if ($("quiz").hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (event.key === "Enter") {
      if (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement) return;
      event.preventDefault();
      submit();
      return;
    }
    const number = Number(event.key);
    if (!Number.isInteger(number) || number < 1) return;
    const input = $(`option-${number}`);
    if (!input || input.disabled) return;
    event.preventDefault();
    input.checked = input.type === "radio" ? true : !input.checked;
    input.focus();
    updateSelection();
  }

  // ---- Wiring --------------------------------------------------------------------------------
  $("question-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  $("option-list").addEventListener("change", updateSelection);
  $("question-previous").addEventListener("click", () => move(-1));
  $("question-next").addEventListener("click", () => move(1));
  $("question-finish").addEventListener("click", finish);
  $("practice-start").addEventListener("click", () => startPractice(false));
  $("practice-missed").addEventListener("click", () => startPractice(true));
  $("practice-results").addEventListener("click", () => showResults("practice"));
  $("practice-reset").addEventListener("click", () => {
    state.practice = freshState().practice;
    save();
    showHome();
  });
  $("exam-start").addEventListener("click", startExam);
  $("exam-resume").addEventListener("click", resumeExam);
  $("results-home").addEventListener("click", showHome);
  document.addEventListener("keydown", onKey);

  renderPlans();
  showHome();
})();
