#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace preshard::resp {

// Every RESP2 and RESP3 reply type.
enum class ReplyType : uint8_t {
  kSimple,     // +
  kError,      // -  (and RESP3's blob error !)
  kInteger,    // :
  kBulk,       // $
  kNil,        // $-1, *-1, RESP3 _
  kArray,      // *
  kMap,        // %  (children: key, value, key, value, ...)
  kSet,        // ~
  kPush,       // >
  kDouble,     // ,  (str() is the text)
  kBoolean,    // #  (integer() is 0 or 1)
  kBigNumber,  // (  (str() is the digits)
  kVerbatim,   // =  (str() is the text after "txt:")
};

// One whole reply parsed into a flat tree of nodes that view the reply's bytes: nothing is
// copied, any nesting depth is accepted, and each node keeps its exact encoding (raw()), so a
// part of a reply is passed on as the instance sent it, whatever its type. RESP3 attributes
// (|) are skipped, as Redis's clients do. Reuse one view: parsing again reuses its storage.
class ReplyView {
 private:
  struct Node {
    ReplyType type;
    uint32_t children = 0;
    uint32_t end = 0;  // index of the node after this one's subtree
    long long integer = 0;
    std::string_view str;
    std::string_view raw;
  };

 public:
  class Ref {
   public:
    ReplyType type() const { return node().type; }
    bool is(ReplyType t) const { return type() == t; }
    std::string_view str() const { return node().str; }
    long long integer() const { return node().integer; }
    std::string_view raw() const { return node().raw; }
    // Children: elements of an aggregate (a map has 2 per entry).
    size_t size() const { return node().children; }
    Ref operator[](size_t i) const;  // linear in i
    Ref first() const { return {view_, index_ + 1}; }
    Ref next() const { return {view_, node().end}; }  // the following sibling

   private:
    friend class ReplyView;
    Ref(const ReplyView* v, uint32_t i) : view_(v), index_(i) {}
    const Node& node() const { return view_->nodes_[index_]; }
    const ReplyView* view_;
    uint32_t index_;
  };

  // Parses exactly one whole reply; false if `raw` is anything else (the view is then empty).
  bool parse(std::string_view raw);
  Ref root() const { return {this, 0}; }

 private:
  struct Open {
    uint32_t node;  // UINT32_MAX: skipped (an attribute, or inside one)
    uint64_t left;
    bool attribute = false;  // completing it completes no element of its parent
  };
  std::vector<Node> nodes_;
  std::vector<Open> open_;
};

}  // namespace preshard::resp
