// Interchangeable mentors: a problem in which several mentors have the same capacity and the
// same arcs (the same mentees at the same scores) is solved exactly as a smaller one in which
// each such class of mentors is a single mentor with their summed capacity.
#pragma once

#include <vector>

#include "match/bipartite.h"

namespace tandem {

// Mentors grouped into classes of interchangeable ones; class ids follow the smallest member.
struct MentorClasses {
  int count = 0;
  std::vector<int> of;       // the class of each mentor
  std::vector<int> begin;    // class c's members are members[begin[c], begin[c + 1])
  std::vector<int> members;  // increasing within a class

  int Size(int c) const;
  int First(int c) const;  // the smallest member
};

// Finds the classes of interchangeable mentors of `problem` and the problem with one mentor
// per class, of capacity size × the members' capacity. A mentee gets min(capacity, class size)
// parallel arcs to a class (at least one): as many distinct members as it could take. Returns
// false, leaving the outputs unspecified, when collapsing would save less than a tenth of the arcs
// or when a mentee lists a mentor twice. Exact: classes found by hashing are checked arc by arc.
bool CollapseMentors(const Bipartite& problem, MentorClasses* classes, Bipartite* collapsed);

// Turns an optimal selection of CollapseMentors(problem, classes) into one of `problem` with
// the same number of tandems and total score: each class hands its members out in turn, so
// that no member exceeds its capacity and no mentee takes a member twice.
Selection ExpandSelection(const Bipartite& problem, const Bipartite& collapsed,
                          const MentorClasses& classes, const Selection& selection);

// Duals of `problem` from those SolveOptimal() gives for the collapsed problem: each member
// takes its class's potential. They certify the expanded selection because a mentee that uses
// every parallel arc to a class is full, and its potential makes those arcs' reduced cost 0.
Duals ExpandDuals(const MentorClasses& classes, const Duals& collapsed);

}  // namespace tandem
