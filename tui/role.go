package tui

// roleKind is who this dashboard is in a class. It is computed once, from
// the options, by newRole; a broadcast student moves between follower (the
// teacher's run on screen) and fork (a copy of their own) with f and F.
type roleKind int

const (
	roleSolo     roleKind = iota // a dashboard on its own, or a student's own session
	roleTeacher                  // publishes its frames on a hub
	roleFollower                 // draws the teacher's frames: may only look
	roleFork                     // a student's copy of the teacher's run: a solo run, except w
)

var roleNames = [...]string{"solo", "teacher", "follower", "fork"}

func (k roleKind) String() string { return roleNames[k] }

// roleSet is the roles an action works for.
type roleSet uint8

func rolesOf(ks ...roleKind) roleSet {
	var s roleSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

func (s roleSet) has(k roleKind) bool { return s&(1<<k) != 0 }

var (
	anyone   = rolesOf(roleSolo, roleTeacher, roleFollower, roleFork)
	trainers = rolesOf(roleSolo, roleTeacher, roleFork) // they own a run
	teacher  = rolesOf(roleTeacher)
)

// role is this dashboard's place in a class and the hub it reaches it by.
// Nothing outside this type looks at Options.Hub or Options.Follow.
type role struct {
	kind roleKind
	hub  *Hub // nil for solo
}

// newRole is the one place the options' broadcast fields are read.
func newRole(o Options) role {
	switch {
	case o.Hub == nil:
		return role{kind: roleSolo}
	case o.Follow:
		return role{kind: roleFollower, hub: o.Hub}
	}
	return role{kind: roleTeacher, hub: o.Hub}
}

func (r role) following() bool { return r.kind == roleFollower }
func (r role) teaching() bool  { return r.kind == roleTeacher }

// student: a broadcast's student, following or on a fork (F follows again).
func (r role) student() bool { return r.kind == roleFollower || r.kind == roleFork }

// refusal says why a key of another role does nothing for this one.
func (r role) refusal(key string) string {
	switch r.kind {
	case roleFollower:
		return "you are following the teacher's run, so " + key + " is the teacher's key; f gives you a copy of your own"
	case roleFork:
		return key + " is for following the teacher: you have your own copy (F follows the teacher again)"
	}
	return key + " is a key for students of a broadcast class; this dashboard has its own run"
}

// followers is how many follow this teacher (0 for any other role).
func (r role) followers() int {
	if r.kind != roleTeacher {
		return 0
	}
	return r.hub.Followers()
}
