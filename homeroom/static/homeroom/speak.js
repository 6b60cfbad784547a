// "Listen" on a message preview: the call script read aloud by the browser's own voice, when it has one.
// Progressive enhancement only: without it the script is there to read.
(function () {
  if (!("speechSynthesis" in window)) return;
  document.querySelectorAll("button.speak").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.speak);
      if (!source) return;
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(source.textContent);
      utterance.lang = button.dataset.lang;
      window.speechSynthesis.speak(utterance);
    });
  });
})();
