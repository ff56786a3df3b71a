#!/bin/bash
# pictures.sh BIN: re-takes the README's text capture and docs/*.png from one build
# (go build -o /tmp/lnfit . && docs/pictures.sh /tmp/lnfit), in the current directory:
# NAME.txt (capture-pane -p), NAME.ansi (-e) and NAME.png (freeze: go install
# github.com/charmbracelet/freeze@latest). Each capture runs in its own tmux session.
# freeze keeps a colour after ESC[39m and ESC[49m, which tmux's capture uses; a full
# reset in their place draws what the terminal showed.
png() {
	sed -e 's/\x1b\[39m/\x1b[0m/g' -e 's/\x1b\[49m//g' $1.ansi > $1.norm.ansi
	freeze $1.norm.ansi --language ansi -o $1.png
}
B=${1:-/tmp/lnfit}
S=docshot$$
cap() { tmux capture-pane -t $S -p > $1.txt; tmux capture-pane -t $S -p -e > $1.ansi; }
# 1. README text capture: 100×30, the question in the ramp, paused after 7.5 s.
tmux new-session -d -s $S -x 100 -y 30 "$B"; sleep 7.5; tmux send-keys -t $S ' '; sleep 1; cap text100; tmux send-keys -t $S q; sleep 0.5; tmux kill-session -t $S 2>/dev/null
# 2. dashboard.png: 120×40, the question, i after 8 s, space 20 s later.
tmux new-session -d -s $S -x 120 -y 40 "$B"; sleep 8; tmux send-keys -t $S i; sleep 20; tmux send-keys -t $S ' '; sleep 1; cap dash120; tmux send-keys -t $S q; sleep 0.5; tmux kill-session -t $S 2>/dev/null
# 3. race.png: 120×40, question-adam raced against sgd and rmsprop at 100 steps a frame for 12 s.
tmux new-session -d -s $S -x 120 -y 40 "$B --preset question-adam --compare sgd,adam,rmsprop"; sleep 1; for i in 1 2 3 4 5 6 7 8; do tmux send-keys -t $S '<'; sleep 0.1; done; for i in 1 2 3 4; do tmux send-keys -t $S '>'; sleep 0.1; done; sleep 12; tmux send-keys -t $S ' '; sleep 1; cap race120; tmux send-keys -t $S q; sleep 0.5; tmux kill-session -t $S 2>/dev/null
# 4. classroom.png: a student over a real ssh client at 100×30, following the teacher's seed-story to the collapse.
T=docteach$$
tmux new-session -d -s $T -x 120 -y 40 "$B --serve 127.0.0.1:2325 --broadcast --lesson seed-story --host-key ./hostkey"; sleep 3
tmux new-session -d -s $S -x 100 -y 30 "ssh -p 2325 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null 127.0.0.1"; sleep 4
tmux send-keys -t $T ' '; sleep 3; tmux send-keys -t $T ' '; sleep 6
cap class100; tmux capture-pane -t $T -p > teacher120.txt
tmux send-keys -t $S q; sleep 1; tmux send-keys -t $T q; sleep 1; tmux kill-session -t $S 2>/dev/null; tmux send-keys -t $T C-c; sleep 2; tmux kill-session -t $T 2>/dev/null
for n in dash120 race120 class100; do png $n; done
